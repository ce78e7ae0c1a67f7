"""`broadsheet init DIR`: a new edition that renders at once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import BroadsheetError
from ..spec.schema import spec_schema

SPEC = """\
# A new edition. Grid: 8 columns (col 1–8) by 108 body lines (line 1–108).
# The spec format: https://… see specs/README.md in the broadsheet repository.
# yaml-language-server: $schema=./broadsheet.schema.json
paper:
  name: 示例日报
  publisher: 示例日报社主办
  cn: CN 00-0000
  post_code: 00-00

edition:
  date: {date}
  number: 1

pages:
  - section: 要闻
    credits: {{editor: 编辑, designer: 美编, proofreader: 校对}}
    masthead: {{box: {{col: 1, cols: 6, line: 1, lines: 15}}}}
    index:
      box: {{col: 7, cols: 2, line: 1, lines: 15}}
      items:
        - {{text: 第二条新闻的标题, ref: second}}
    articles:
      - id: lead
        kicker: 引题写在这里
        headline: 头条新闻的主标题
        subtitle: 副题写在这里
        byline: □本报记者　某某
        dateline: 本报讯
        copy: copy/lead.txt
        box: {{col: 1, cols: 8, line: 17, lines: 40}}
      - id: second
        headline: 第二条新闻的标题
        byline: □本报记者　某某
        dateline: 本报讯
        copy: copy/second.txt
        box: {{col: 1, cols: 8, line: 58, lines: 51}}
    rules:
      - {{line: 16, col: 1, cols: 8, weight: 1.5pt}}
      - {{line: 57, col: 1, cols: 8}}
"""

LEAD = "这里是头条新闻的正文。每一行是一个段落，以“## ”开头的行是小标题。正文会在方框内一栏一栏地排下去。\n" * 4 + \
    "## 小标题示例\n" + "排版软件会自动处理标点挤压、避头尾和两端对齐，版面编辑只需写好稿件、划定位置。\n" * 6
SECOND = "这里是第二条新闻的正文。把稿件放在copy文件夹里，在spec.yaml中写明位置即可。\n" * 8

README = """\
# {name}

A broadsheet edition skeleton.

    broadsheet render spec.yaml -o out/          # → out/spec.pdf
    broadsheet preview spec.yaml -o out/preview/ --grid --frames
    broadsheet watch spec.yaml -o out/           # re-render on every save

Copy lives in `copy/` (UTF-8 text, one paragraph per line, `## ` starts a subhead).
`broadsheet.schema.json` lets editors check and complete `spec.yaml` as you type
(a YAML language server reads the `$schema` comment at the top of the spec).
"""


def create_skeleton(target: Path) -> list[Path]:
    """A new edition folder that renders at once; returns the files written."""
    if target.exists() and not target.is_dir():
        raise BroadsheetError(f"{target} is a file; choose a new folder")
    if target.exists() and any(target.iterdir()):
        raise BroadsheetError(f"{target} exists and is not empty; choose a new folder")
    (target / "copy").mkdir(parents=True, exist_ok=True)
    files = {
        target / "spec.yaml": SPEC.format(date=dt.date.today().isoformat()),
        target / "copy" / "lead.txt": LEAD,
        target / "copy" / "second.txt": SECOND,
        target / "README.md": README.format(name=target.name),
        target / "broadsheet.schema.json": json.dumps(spec_schema(), ensure_ascii=False,
                                                      indent=2) + "\n",
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return sorted(files)

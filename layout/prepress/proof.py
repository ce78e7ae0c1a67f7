"""Typographic proofing: what a night editor checks before a page goes.

From our own layout result: 禁则 at line starts and ends, 孤字, punctuation at
the top of a column, jump lines and their counterparts, index entries
against where articles landed.  (孤行 and fallback characters are the
layout's own findings.)
From the copy: half-width punctuation among Chinese, full-width digits and
Latin letters, doubled punctuation, unmatched quotes and brackets.  The copy
checks also run on the text of any PDF (`proof_text`).
"""

from __future__ import annotations

import re
import pypdfium2 as pdfium

from ..compose import classes as C
from ..findings import Finding
from ..place.result import Layout, TextLine
from ..units import chinese_numeral

HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
_HALF_PUNCT = re.compile(rf"(?<={HAN})[,.:;?!()]|[,.:;?!()](?={HAN})")
_FULL_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")
_DOUBLED = re.compile(r"(。。|，，|、、|；；|：：)")
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _proof(code: str, message: str, fix: str, page: int | None = None,
           story: str | None = None, line: int | None = None, context: str = "") -> Finding:
    return Finding(code, message, fix, page=page, story=story, line=line, context=context)


def _story_lines(layout: Layout) -> dict[str, list[tuple[int, TextLine]]]:
    out: dict[str, list] = {}
    for page in layout.pages:
        for item in page.items:
            if isinstance(item, TextLine) and item.story and item.role in ("body", "subhead",
                                                                            "jump"):
                out.setdefault(item.story, []).append((page.number, item))
    return out


def proof_layout(loaded, layout: Layout) -> list[Finding]:
    out: list[Finding] = []
    stories = _story_lines(layout)
    not_start, not_end = C.KINSOKU[loaded.spec.style.kinsoku]
    for story_id, rows in stories.items():
        body = [(p, item) for p, item in rows if item.role != "jump"]
        tops: dict[tuple, tuple] = {}
        for number, (page, item) in enumerate(body, start=1):
            text = item.line.text
            if item.role != "body" or not text:
                continue
            key = (page, item.column)
            tops.setdefault(key, (number, item))
            if item.line.start > 0 and text[0] in not_start:
                out.append(_proof("type.kinsoku", f"line starts with “{text[0]}”",
                                  "break the line before the previous character",
                                  page, story_id, number, text[:8]))
            if not item.line.last and text[-1] in not_end:
                out.append(_proof("type.kinsoku", f"line ends with “{text[-1]}”",
                                  "carry the mark down to the next line", page, story_id,
                                  number, text[-8:]))
            if item.line.last and item.line.start > 0:
                letters = [ch for ch in text if ch not in C.FULLWIDTH_PUNCT]
                if len(letters) <= 1:
                    out.append(_proof("type.widow", "one-character last line (孤字)",
                                      "pull a character down or cut one", page, story_id,
                                      number, text))
        for (page, column), (number, item) in sorted(tops.items(),
                                                     key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            text = item.line.text
            if text and (text[0] in C.PAUSE or text[0] in C.STOP or text[0] in C.CLOSE):
                out.append(_proof("type.column-top",
                                  f"punctuation at the top of column {column}",
                                  "reflow the paragraph", page, story_id, number, text[:8]))
        out.extend(_jump_findings(story_id, rows, layout, loaded))
    for story_id, copy in sorted(loaded.copy.items()):
        for finding in proof_text(copy):
            page, number = _locate(stories.get(story_id, []), finding.context)
            out.append(finding.at(page=page, story=story_id, line=number))
    return out


def _locate(rows, context: str) -> tuple[int | None, int | None]:
    """The page and story line where a copy fault sits (by its surrounding text)."""
    probe = context.strip()
    for size in (len(probe), 4, 2):
        needle = probe[:size]
        if not needle:
            break
        for number, (page, item) in enumerate(rows, start=1):
            if needle in item.line.text:
                return page, number
    return (rows[0][0], None) if rows else (None, None)


def proof_text(text: str) -> list[Finding]:
    """Copy faults in plain text (a story's copy, or the text of any PDF), each with
    the text around it as its context."""
    out: list[Finding] = []
    for match in _HALF_PUNCT.finditer(text):
        i = match.start()
        ch = match.group()
        if ch in ".," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        out.append(_proof("copy.half-width", f"half-width “{ch}” among Chinese text",
                          "use the full-width mark", context=text[max(0, i - 6):i + 5]))
    for match in _FULL_ALNUM.finditer(text):
        i = match.start()
        out.append(_proof("copy.full-width", f"full-width “{match.group()}”",
                          "write digits and Latin letters half-width",
                          context=text[max(0, i - 6):match.end() + 4]))
    for match in _DOUBLED.finditer(text):
        i = match.start()
        out.append(_proof("copy.doubled", f"doubled “{match.group()}”", "keep one mark",
                          context=text[max(0, i - 6):i + 6]))
    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    for k, para in enumerate(paragraphs):
        stack: list[tuple[str, int]] = []
        for i, ch in enumerate(para):
            if ch in _PAIRS:
                stack.append((ch, i))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                else:
                    out.append(_proof("copy.unmatched", f"“{ch}” closes nothing",
                                      f"add the opening “{_CLOSERS[ch]}” or remove it",
                                      context=para[max(0, i - 8):i + 4]))
        next_para = paragraphs[k + 1] if k + 1 < len(paragraphs) else ""
        for ch, i in stack:
            # A quotation running over paragraphs reopens “ at each paragraph start.
            if ch in "“‘" and next_para.startswith(ch):
                continue
            out.append(_proof("copy.unmatched", f"“{ch}” is never closed",
                              f"add the closing “{_PAIRS[ch]}”",
                              context=para[i:i + 10]))
    return out


def _jump_findings(story_id, rows, layout: Layout, loaded) -> list[Finding]:
    out = []
    report = layout.story(story_id)
    used = [f for f in report.frames if f.lines_used]
    jumps = [(page, item.line.text) for page, item in rows if item.role == "jump"]
    numerals = loaded.spec.style.page_numerals

    def label(n):
        return chinese_numeral(n) if numerals == "chinese" else str(n)
    for a, b in zip(used, used[1:]):
        to = loaded.spec.style.jump_to.format(page=label(b.page))
        back = loaded.spec.style.jump_from.format(page=label(a.page))
        if (a.page, to) not in jumps:
            out.append(_proof("jump.missing", f"no “{to}” at the end of the frame on "
                              f"page {a.page}",
                              "let the engine write the jump line", a.page, story_id))
        if (b.page, back) not in jumps:
            out.append(_proof("jump.missing", f"no “{back}” where the story resumes",
                              "let the engine write the jump line", b.page, story_id))
    return out


def proof_pdf(path, skip: set[int] = frozenset()) -> list[Finding]:
    """What can be read from any PDF's text: copy faults, and 禁则 at the starts and
    ends of its lines (lines rebuilt from PDFium's character boxes).  Pages in
    `skip` (1-based) are not read: the preflight found them too complex, and
    PDFium would exhaust memory on a form that draws itself."""
    out: list[Finding] = []
    not_start, not_end = C.KINSOKU["strict"]
    document = pdfium.PdfDocument(str(path))
    try:
        for number in range(len(document)):
            if number + 1 in skip:
                continue
            textpage = document[number].get_textpage()
            for finding in proof_text(textpage.get_text_range().replace("\r", "")):
                if finding.code == "copy.unmatched":
                    continue      # a page's text order may split a quotation; not judged here
                out.append(finding.at(page=number + 1))
            for line in _pdf_lines(textpage):
                text = "".join(ch for ch, _ in line)
                if sum(1 for ch in text if "\u3400" <= ch <= "\u9fff") < 2:
                    continue      # not a line of Chinese text
                if text[0] in not_start:
                    out.append(_proof("type.kinsoku", f"line starts with “{text[0]}”",
                                      "break the line before the previous character",
                                      number + 1, context=text[:8]))
                if text[-1] in not_end:
                    out.append(_proof("type.kinsoku", f"line ends with “{text[-1]}”",
                                      "carry the mark down to the next line", number + 1,
                                      context=text[-8:]))
    finally:
        document.close()
    return out


def _pdf_lines(textpage) -> list[list[tuple[str, float]]]:
    """Characters grouped into lines: one top of the em box (the loose box of a
    mark can sit lower than its neighbours), no gap wider than a character."""
    rows: dict[float, list] = {}
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch or ch.isspace():
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        rows.setdefault(round(top, 0), []).append((left, right, top - bottom, ch))
    lines = []
    for _, chars in sorted(rows.items()):
        chars.sort()
        current: list = []
        last_right = None
        for left, right, size, ch in chars:
            if last_right is not None and left - last_right > 0.8 * size:
                lines.append(current)
                current = []
            current.append((ch, left))
            last_right = right
        if current:
            lines.append(current)
    return lines

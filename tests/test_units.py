import pytest

from layout import units


def test_hao_sizes_default_to_the_typesetting_table():
    assert units.type_size_pt("一号") == 27.5
    assert units.type_size_pt("一号", table="office") == 26
    assert units.type_size_pt("小五") == 9


def test_lengths_in_desk_units():
    assert units.length_pt("25.4mm") == pytest.approx(72)
    assert units.length_pt("1in") == 72
    with pytest.raises(units.UnitError):
        units.length_pt("12 furlongs")


def test_page_numbers_as_chinese_numerals():
    assert [units.chinese_numeral(n) for n in (1, 9, 10, 11, 20, 32)] == \
        ["一", "九", "十", "十一", "二十", "三十二"]

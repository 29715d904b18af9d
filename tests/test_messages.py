"""The Vietnamese message catalogue: complete, and chosen only when the client asks."""

import re

import pytest

from app.messages import CATALOGUE, prefers_vietnamese, vi_message


def test_every_entry_has_both_languages_with_the_same_placeholders() -> None:
    for code, (english, vietnamese) in CATALOGUE.items():
        assert english and vietnamese, code
        assert set(re.findall(r"{(\w+)}", vietnamese)) <= set(re.findall(r"{(\w+)}", english))


def test_pydantic_errors_are_translated_from_type_and_context() -> None:
    assert vi_message({"type": "string_too_long", "ctx": {"max_length": 200}}) == (
        "dài quá 200 ký tự"
    )
    assert vi_message({"type": "literal_error", "ctx": {"expected": "'a', 'b' or 'c'"}}) == (
        "phải là một trong: 'a', 'b' hoặc 'c'"
    )
    assert vi_message({"type": "an_unknown_type", "msg": "Something"}) == "giá trị không hợp lệ"


@pytest.mark.parametrize(
    ("header", "vietnamese"),
    [
        ("vi", True), ("vi-VN,vi;q=0.9,en;q=0.5", True), ("en;q=0.4, vi", True),
        ("en", False), ("en, vi;q=0.5", False), ("", False), (None, False), ("vi;q=0", False),
    ],
)  # fmt: skip
def test_accept_language(header: str | None, vietnamese: bool) -> None:
    assert prefers_vietnamese(header) is vietnamese

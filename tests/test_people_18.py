"""One way to name a person (issue 18, point 12): a short code, a name or any part of one, and
several people in one field; the picker shows the candidates as they are typed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from store import i18n
from store.custody import people
from store.custody.people import Person
from store.errors import FieldError, InvalidInput
from store.vault.session import Session
from tests.desk_fixture import setup
from tests.tui_support import settle
from tui.widgets.person_picker import PersonCandidates, PersonPicker


@pytest.fixture
def on_record(session: Session) -> Session:
    setup(session)
    people.add(session, "zw1", "张伟", "staff", department="第一检察部")
    people.add(session, "zw2", "张伟", "staff", department="第二检察部")
    people.add(session, "cz", "陈志", "leader")
    return session


def test_a_person_is_found_by_code_name_or_part_of_the_name(on_record: Session) -> None:
    assert people.find("lwj").name == "李文杰"
    assert people.find(" LWJ ").name == "李文杰"  # as typed: case and spaces do not matter
    assert people.find("李文杰").code == "lwj"
    assert people.find("文杰").code == "lwj"  # the only name that contains it
    assert people.find("陈检察长").code == "cjc"  # the example: a name, not a code


def test_nobody_and_several_are_told_apart(on_record: Session) -> None:
    with pytest.raises(InvalidInput, match="no one on record matches \"无此人\""):
        people.find("无此人")
    with pytest.raises(InvalidInput) as several:
        people.find("部长")  # 张部长 and 王部长
    assert "张部长（第一检察部，zbz）" in str(several.value)
    assert "王部长（第二检察部，wbz）" in str(several.value)
    with pytest.raises(InvalidInput) as same:
        people.find("张伟")  # two people of that name: the code tells them apart
    assert "2 people are named 张伟" in str(same.value) and "zw1" in str(same.value)
    assert people.find("zw2").department == "第二检察部"
    with pytest.raises(FieldError) as beside:
        people.find("无此人", field="head")
    assert beside.value.field == "head"


def test_roles_narrow_the_lookup(on_record: Session) -> None:
    with pytest.raises(InvalidInput):
        people.find("陈", roles=("leader",))  # 陈检察长 and 陈志: both leaders
    assert people.find("检察长", roles=("leader",)).code == "cjc"
    with pytest.raises(InvalidInput, match="no one on record"):
        people.find("lwj", roles=("head",))


def test_several_people_in_one_field(on_record: Session) -> None:
    found = people.find_several("lwj、张部长，cjc, 保密办")
    assert [p.code for p in found] == ["lwj", "zbz", "cjc", "bmb"]
    assert [p.code for p in people.find_several("lwj，，  ,")] == ["lwj"]  # blanks left out
    assert people.find_several("") == []
    with pytest.raises(InvalidInput, match="李文杰 is named twice"):
        people.find_several("lwj、李文杰")


def test_candidates_for_a_picker(on_record: Session) -> None:
    assert [p.code for p in people.matching("z")][:3] == ["zbz", "zw1", "zw2"]
    assert [p.code for p in people.matching("部长")] == ["wbz", "zbz"]
    assert people.matching("cjc")[0].code == "cjc"  # the exact code first
    assert people.matching("") == []
    assert len(people.matching("", limit=2)) == 0
    assert len(people.matching("z", limit=2)) == 2
    assert [p.code for p in people.matching("陈", roles=("leader",))] == ["cjc", "cz"]


def test_the_refusal_is_in_chinese(on_record: Session) -> None:
    i18n.set_language("zh")
    with pytest.raises(InvalidInput) as none:
        people.find("无此人")
    assert "「无此人」" in str(none.value) and "没有" in str(none.value)
    with pytest.raises(InvalidInput) as several:
        people.find("部长")
    assert "张部长（第一检察部，zbz）" in str(several.value)
    assert "简码" in str(several.value)


# --- the picker ---------------------------------------------------------------------------

EVERYONE = [
    Person(1, "lwj", "李文杰", "staff", "第一检察部", "", False, "active"),
    Person(2, "zbz", "张部长", "head", "第一检察部", "", False, "active"),
    Person(3, "wbz", "王部长", "head", "第二检察部", "", False, "active"),
    Person(4, "cjc", "陈检察长", "leader", "", "", False, "active"),
    Person(5, "zw1", "张伟", "staff", "第一检察部", "", False, "active"),
    Person(6, "zw2", "张伟", "staff", "第二检察部", "", False, "active"),
]


class PickerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield PersonPicker(id="one", roles=("head", "leader"))
        yield PersonPicker(id="many", several=True)
        yield Input(id="after")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submitted.append(f"{event.input.id}={event.value}")


@pytest.fixture
def everyone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people, "active", lambda roles=(): list(EVERYONE))


def _list(app: App[Any]) -> str:
    shown = list(app.screen.query(PersonCandidates))
    return str(shown[0].render()) if shown and shown[0].display else ""


async def test_the_picker_shows_candidates_as_typed_and_enter_takes_one(
        everyone: None) -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("部")
        await settle(pilot)
        shown = _list(app)
        assert "张部长（第一检察部，zbz）" in shown and "王部长（第二检察部，wbz）" in shown
        assert "李文杰" not in shown  # not a head: the field is for heads and leaders
        await pilot.press("down", "enter")  # the second candidate
        await settle(pilot)
        picker = app.query_one("#one", PersonPicker)
        assert picker.value == "王部长"  # in the order read: 张部长 first, 王部长 second
        assert app.submitted == ["one=王部长"]  # a field for one person moves on
        assert _list(app) == ""


async def test_several_people_and_a_shared_name(everyone: None) -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        app.query_one("#many").focus()
        await pilot.press(*"lw")
        await settle(pilot)
        assert "李文杰" in _list(app)
        await pilot.press("enter")  # taken; the field stays for the next person
        app.query_one("#many", PersonPicker).insert_text_at_cursor("、")  # as an IME types it
        await pilot.press(*"张伟")
        await settle(pilot)
        assert "张伟（第一检察部，zw1）" in _list(app)
        await pilot.press("down", "enter")
        picker = app.query_one("#many", PersonPicker)
        assert picker.value == "李文杰、zw2"  # two 张伟: the code tells which
        assert app.submitted == []
        await pilot.press("enter")  # nothing on show: Enter submits
        assert app.submitted == ["many=李文杰、zw2"]


async def test_esc_hides_the_list_and_a_suggestion_is_taken_with_enter(
        everyone: None) -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await settle(pilot)
        picker = app.query_one("#one", PersonPicker)
        picker.suggest("zbz", "张部长")
        assert "张部长" in picker.placeholder
        await pilot.press("z")
        await settle(pilot)
        assert _list(app)
        await pilot.press("escape")
        assert _list(app) == ""
        await pilot.press("backspace", "enter")  # empty: Enter takes the suggestion
        assert picker.value == "zbz" and app.submitted == ["one=zbz"]


class PickerDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    PickerDialog { align: center middle; }
    PickerDialog > Vertical { width: 40; height: auto; border: round $primary; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PersonPicker(id="in-dialog")
            yield Input(id="next")


async def test_in_a_dialog_the_list_shows_under_the_field_and_nothing_moves(
        everyone: None) -> None:
    app = PickerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(PickerDialog())
        await settle(pilot)
        box = app.screen.query_one(Vertical).region
        picker = app.screen.query_one("#in-dialog", PersonPicker)
        await pilot.press("z")
        await settle(pilot)
        shown = app.screen.query_one(PersonCandidates)
        assert shown.display and app.screen.query_one(Vertical).region == box
        assert (shown.region.x, shown.region.y) == (picker.region.x, picker.region.bottom)
        assert app.screen.get_widget_at(shown.region.x, shown.region.y)[0] is shown

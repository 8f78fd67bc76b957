"""A ward's units and people in bulk from an Excel workbook: the template, reading it, and
checking its rows (pure functions over rows, so the preview, the save and the tests read a
workbook one way).

The workbook has two sheets, "Đơn vị" (name, short name, aliases separated by ";") and
"Người dùng" (full name, user name, unit, role in words, e-mail, phone), each with a header row.
A row whose first cell starts with "Ví dụ" is the template's example and is skipped. Nothing
here writes: ``check_ward_sheets`` returns what would be made and every problem, row by row,
and the caller saves only a clean result the person confirmed.
"""

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from theodoi.core.spreadsheet import put_row
from theodoi.core.text import fold_key
from theodoi.org.matching import match_units, unit_key

# Vietnamese on purpose: the sheet names are part of the file's format (the template writes
# them and the reader looks for them, whatever the interface language).
UNITS_SHEET = "Đơn vị"
PEOPLE_SHEET = "Người dùng"
# The folded start of the template's example rows ("Ví dụ: …"), skipped on reading.
EXAMPLE_MARK = "vi du"
# More rows than any ward has people: a bigger file is a mistake, not a ward.
MAX_ROWS = 2000
USERNAME_RE = re.compile(r"^[A-Za-z0-9._@+-]{1,150}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .-]{6,18}[0-9]$")

# The words people write for each role besides its label, folded (DESIGN.md §5's names).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "unit_officer": ("can bo", "can bo don vi", "cong chuc", "chuyen vien", "nhan vien"),
    "unit_head": ("thu truong", "thu truong don vi", "truong phong", "truong don vi"),
    "standing_office": ("co quan thuong truc", "thuong truc", "van phong thuong truc"),
    "leader": ("lanh dao", "bi thu", "chu tich", "ban chi dao", "bcd"),
    "admin": ("quan tri", "quan tri vien", "quan tri phuong", "quan tri xa"),
}


class WorkbookError(Exception):
    """The file is not a workbook this page can read; the message says what to do."""


@dataclass
class NewUnit:
    line: int
    name: str
    short_name: str
    aliases: list[str]


@dataclass
class NewPerson:
    line: int
    username: str
    first_name: str
    last_name: str
    # The unit: an existing unit's id (> 0), or -(i + 1) for the i-th new unit of the sheet.
    unit_ref: int | None
    unit_label: str
    role: str
    email: str
    phone: str
    role_label: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class WardSheets:
    units: list[NewUnit] = field(default_factory=list)
    people: list[NewPerson] = field(default_factory=list)
    # Units of the sheet the ward already has: (line, name as written, the existing unit's name).
    existing_units: list[tuple[int, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.units or self.people)


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Văn", "An") from "Nguyễn Văn An": the family and middle names, then the given
    name, so ``get_full_name`` writes the name in the Vietnamese order."""
    words = full_name.split()
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


def split_aliases(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def role_lookup(labels: Mapping[str, str]) -> dict[str, str]:
    """Folded words → role code: each role's label (as shown in the interface), its code and
    the usual Vietnamese words for it."""
    lookup: dict[str, str] = {}
    for code, label in labels.items():
        for word in (label, code, *ROLE_WORDS.get(code, ())):
            key = fold_key(word.replace("_", " "))
            if key:
                lookup.setdefault(key, code)
    return lookup


def rows_as_text(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    """The rows with each cell as text (what a session can keep between preview and save)."""
    return [[_text(value) for value in row] for row in rows]


def _cells(row: Sequence[object], count: int) -> list[str]:
    values = [_text(value) for value in list(row)[:count]]
    return values + [""] * (count - len(values))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _phone(text: str) -> str:
    # A phone typed as a number loses its leading zero in Excel ("912345678" for 0912345678).
    if text.isdigit() and len(text) == 9:
        return "0" + text
    return text


def _is_blank_or_example(cells: list[str]) -> bool:
    return not any(cells) or fold_key(cells[0]).startswith(EXAMPLE_MARK)


def check_ward_sheets(
    unit_rows: Sequence[Sequence[object]],
    people_rows: Sequence[Sequence[object]],
    *,
    catalogue: Mapping[str, int],
    unit_names: Mapping[int, str],
    ward_name: str,
    taken_usernames: set[str],
    roles: Mapping[str, str],
    may_grant: Callable[[str], bool],
    needs_unit: Callable[[str], bool],
) -> WardSheets:
    """Check the rows of both sheets (each list starting with its header row, row 1).

    ``catalogue`` maps every name, short name and alias of the ward's units to the unit's id
    (``selectors.unit_catalogue``) and ``unit_names`` each id to its name; ``taken_usernames``
    holds the user names in use (lower case); ``roles`` maps each role code to its label;
    ``may_grant`` and ``needs_unit`` answer for a role code (``core.access``).
    """
    result = WardSheets()
    lookup = role_lookup(roles)
    sheet_catalogue: dict[str, int] = dict(catalogue)
    seen_unit_keys: dict[str, int] = {}

    def error(line: int, message: str) -> None:
        result.errors.append(
            gettext("Line %(line)d: %(problem)s") % {"line": line, "problem": message}
        )

    for line, row in enumerate(unit_rows[1 : MAX_ROWS + 1], start=2):
        cells = _cells(row, 3)
        if _is_blank_or_example(cells):
            continue
        name, short_name, aliases_text = cells
        aliases = split_aliases(aliases_text)
        if not name:
            error(line, gettext("the unit has no name: write its full name in column A."))
            continue
        if len(name) > 200 or len(short_name) > 60 or any(len(a) > 200 for a in aliases):
            error(
                line, gettext("a name is too long (at most 200 characters, 60 for a short name).")
            )
            continue
        key = unit_key(name, ward_name)
        if key in seen_unit_keys:
            error(
                line,
                gettext("the unit «%(name)s» is already on line %(other)d of this sheet.")
                % {"name": name, "other": seen_unit_keys[key]},
            )
            continue
        existing = match_units(name, catalogue, ward_name=ward_name)
        if len(existing.unit_ids) == 1 and not existing.unmatched:
            unit_id = existing.unit_ids[0]
            result.existing_units.append((line, name, unit_names.get(unit_id, name)))
            for spelling in (short_name, *aliases):
                if spelling:
                    sheet_catalogue.setdefault(spelling, unit_id)
            seen_unit_keys[key] = line
            continue
        seen_unit_keys[key] = line
        result.units.append(NewUnit(line, name, short_name, aliases))
        ref = -len(result.units)
        for spelling in (name, short_name, *aliases):
            if spelling:
                sheet_catalogue.setdefault(spelling, ref)

    new_unit_names = {-(i + 1): unit.name for i, unit in enumerate(result.units)}
    seen_usernames: dict[str, int] = {}
    for line, row in enumerate(people_rows[1 : MAX_ROWS + 1], start=2):
        cells = _cells(row, 6)
        if _is_blank_or_example(cells):
            continue
        full_name, username, unit_text, role_text, email, phone = cells
        phone = _phone(phone)
        problems: list[str] = []
        if not full_name:
            problems.append(gettext("the full name is missing (column A)."))
        elif len(full_name) > 150:
            problems.append(gettext("the full name is too long (at most 150 characters)."))
        if not username:
            problems.append(gettext("the user name is missing (column B)."))
        elif not USERNAME_RE.match(username):
            problems.append(
                gettext(
                    "the user name «%(username)s» may hold only letters without accents, "
                    "digits and . _ @ + -"
                )
                % {"username": username}
            )
        elif username.lower() in taken_usernames:
            problems.append(
                gettext("the user name «%(username)s» is already taken: choose another one.")
                % {"username": username}
            )
        elif username.lower() in seen_usernames:
            problems.append(
                gettext("the user name «%(username)s» is already on line %(other)d.")
                % {"username": username, "other": seen_usernames[username.lower()]}
            )
        if username:
            seen_usernames.setdefault(username.lower(), line)
        # The role word read as a role code; None when it names no role.
        code = lookup.get(fold_key(role_text)) if role_text else "unit_officer"
        if code is None:
            problems.append(
                gettext("the role «%(role)s» is unknown: write one of %(roles)s.")
                % {"role": role_text, "roles": ", ".join(f"«{label}»" for label in roles.values())}
            )
        elif not may_grant(code):
            problems.append(
                gettext("you cannot give the role «%(role)s».") % {"role": roles.get(code, code)}
            )
        unit_ref: int | None = None
        unit_label = ""
        if unit_text:
            match = match_units(unit_text, sheet_catalogue, ward_name=ward_name)
            if len(match.unit_ids) == 1 and not match.unmatched:
                unit_ref = match.unit_ids[0]
                unit_label = (
                    unit_names.get(unit_ref, "") if unit_ref > 0 else new_unit_names[unit_ref]
                )
            elif len(match.unit_ids) > 1 and not match.unmatched:
                problems.append(
                    gettext("«%(unit)s» names several units: write one unit.") % {"unit": unit_text}
                )
            else:
                problems.append(
                    gettext(
                        "unit «%(unit)s» is not in the list — add it on the Units page (or "
                        "in the Units sheet) or correct the name."
                    )
                    % {"unit": unit_text}
                )
        elif code is not None and needs_unit(code):
            problems.append(gettext("a unit officer or unit head needs a unit (column C)."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    gettext("the e-mail «%(email)s» is not a valid address.") % {"email": email}
                )
        if phone and not PHONE_RE.match(phone):
            problems.append(
                gettext("the phone «%(phone)s» is not a phone number.") % {"phone": phone}
            )
        if problems:
            for problem in problems:
                error(line, problem)
            continue
        first_name, last_name = split_full_name(full_name)
        result.people.append(
            NewPerson(
                line=line,
                username=username,
                first_name=first_name,
                last_name=last_name,
                unit_ref=unit_ref,
                unit_label=unit_label,
                role=code or "unit_officer",
                email=email,
                phone=phone,
                role_label=roles.get(code or "", ""),
            )
        )
    return result


# --- The workbook itself -------------------------------------------------------------------------


def _sheet_rows(sheet) -> list[list[object]]:
    rows = []
    for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1):
        rows.append(list(row))
    return rows


def read_ward_workbook(data: bytes) -> tuple[list[list[object]], list[list[object]]]:
    """The rows of the units sheet and of the people sheet (header rows included). The sheets
    are found by name, else the first two sheets are taken in that order."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(
            gettext(
                "This file cannot be read as an Excel workbook (.xlsx): download the template, "
                "fill it in and upload it again."
            )
        ) from exc
    try:
        by_key = {fold_key(sheet.title): sheet for sheet in book.worksheets}
        units = by_key.get(fold_key(UNITS_SHEET))
        people = by_key.get(fold_key(PEOPLE_SHEET))
        sheets = list(book.worksheets)
        if units is None and people is None and len(sheets) >= 2:
            units, people = sheets[0], sheets[1]
        if units is None and people is None:
            raise WorkbookError(
                gettext(
                    "The workbook has neither a «%(units)s» sheet nor a «%(people)s» sheet: "
                    "use the template."
                )
                % {"units": UNITS_SHEET, "people": PEOPLE_SHEET}
            )
        return (
            _sheet_rows(units) if units is not None else [],
            _sheet_rows(people) if people is not None else [],
        )
    finally:
        book.close()


def ward_template(*, role_labels: Sequence[str]) -> bytes:
    """The template: both sheets with their header row and one example row each, and the roles
    offered as a list in the role column."""
    book = Workbook()
    units = book.active
    units.title = UNITS_SHEET
    put_row(
        units, 1, [gettext("Unit name"), gettext("Short name"), gettext("Aliases (separated by ;)")]
    )
    # Vietnamese on purpose: the example rows are sample content of a Vietnamese ward.
    put_row(units, 2, ["Ví dụ: Phòng Văn hóa - Xã hội", "VHXH", "VH-XH; Phòng VH-XH"])
    people = book.create_sheet(PEOPLE_SHEET)
    put_row(
        people,
        1,
        [
            gettext("Full name"),
            gettext("User name"),
            gettext("Unit"),
            gettext("Role"),
            gettext("E-mail"),
            gettext("Phone"),
        ],
    )
    example_role = role_labels[0] if role_labels else ""
    # Vietnamese on purpose: sample content of a Vietnamese ward.
    put_row(
        people,
        2,
        ["Ví dụ: Nguyễn Văn An", "an.nv", "Phòng Văn hóa - Xã hội", example_role, "an.nv@example.vn", "0912345678"],
    )  # fmt: skip
    for sheet, widths in ((units, (40, 18, 50)), (people, (28, 18, 36, 24, 30, 16))):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="808080")
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        sheet.freeze_panes = "A2"
    # Phones are text: typed as a number they would lose their leading zero.
    for row in range(2, MAX_ROWS + 2):
        people.cell(row=row, column=6).number_format = "@"
    choices = ",".join(label.replace(",", " ") for label in role_labels)
    if role_labels and len(choices) < 250:  # Excel's limit for a list written in the rule
        rule = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        rule.error = gettext("Choose a role from the list.")
        rule.showErrorMessage = True
        people.add_data_validation(rule)
        rule.add(f"D2:D{MAX_ROWS + 1}")
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()

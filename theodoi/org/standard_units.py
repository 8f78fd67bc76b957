"""The standard units of a ward or commune after the 2025 reorganisation (two-level local
government from 1/7/2025), with the spellings plans use for them (DESIGN.md §1).

A new ward starts from this list on the ward administration pages: the admin unticks and edits
rows before anything is saved, and a unit the ward already has (by the ward's own matching) is
not made again. Data only: the names are what a Vietnamese ward calls its units, whatever the
interface language.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardUnit:
    name: str
    short_name: str
    aliases: tuple[str, ...]
    # The name a ward's economy office has; a commune's is the plain one (``name``).
    ward_name: str = ""

    def name_for(self, *, is_ward: bool) -> str:
        return self.ward_name if is_ward and self.ward_name else self.name


# Vietnamese on purpose: the units' names as the ward writes them (content, not interface).
STANDARD_UNITS: tuple[StandardUnit, ...] = (
    StandardUnit("Văn phòng HĐND và UBND", "VP HĐND-UBND", ("VP HĐND-UBND", "Văn phòng HĐND & UBND", "VP HĐND và UBND")),
    StandardUnit("Phòng Kinh tế", "Phòng KT", ("KTHTĐT", "Phòng KT", "Phòng Kinh tế, Hạ tầng và Đô thị"), ward_name="Phòng Kinh tế, Hạ tầng và Đô thị"),
    StandardUnit("Phòng Văn hóa - Xã hội", "VHXH", ("VHXH", "VH-XH", "Phòng VH-XH", "VHXXH")),
    StandardUnit("Trung tâm Phục vụ hành chính công", "PVHCC", ("PVHCC", "HCC", "Trung tâm PVHCC")),
    StandardUnit("Công an", "CA", ("CA phường", "CA xã", "Công an phường", "Công an xã")),
    StandardUnit("Ban Chỉ huy Quân sự", "BCHQS", ("BCHQS", "Ban CHQS")),
    StandardUnit("Văn phòng Đảng ủy", "VPĐU", ("VPĐU", "VP Đảng ủy")),
    StandardUnit("Ban Xây dựng Đảng", "Ban XDĐ", ("Ban XDĐ",)),
    StandardUnit("Ủy ban Kiểm tra Đảng ủy", "UBKT", ("UBKT", "UBKT Đảng ủy")),
    StandardUnit("Ủy ban MTTQ Việt Nam", "UBMTTQ", ("UBMTTQ", "MTTQVN", "MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam")),
    StandardUnit("Trung tâm Dịch vụ tổng hợp", "TTDVTH", ("TTDVTH", "Trung tâm DVTH")),
    StandardUnit("Trạm Y tế", "TYT", ("TYT", "Trạm Y tế phường", "Trạm Y tế xã")),
)  # fmt: skip


def standard_catalogue(*, is_ward: bool = True) -> dict[str, int]:
    """Every name, short name and alias of the standard units → the unit's place in the list:
    the catalogue ``match_units`` reads, for a plan read before it belongs to any ward."""
    catalogue: dict[str, int] = {}
    for index, unit in enumerate(STANDARD_UNITS):
        for name in (unit.name_for(is_ward=is_ward), unit.name, unit.short_name, *unit.aliases):
            catalogue.setdefault(name, index)
    return catalogue

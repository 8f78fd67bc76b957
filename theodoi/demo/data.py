"""Demo data: Phường Lê Chân (Hải Phòng) and the appendix of its plan 110/KH-UBND of
25/3/2026 (seed 004), typed in by hand until the importer brings in all five seeds."""

PROVINCE = {"name": "Thành phố Hải Phòng", "code": "HP", "kind": "province"}
WARD = {"name": "Phường Lê Chân", "code": "HP-LECHAN", "kind": "ward"}

# (canonical name, short name, aliases as the seeds spell them)
UNITS = [
    (
        "Văn phòng HĐND và UBND",
        "VP HĐND-UBND",
        [
            "Văn phòng HĐND & UBND",
            "VP HĐND-UBND",
            "Văn phòng HĐND & UBND phường",
            "Văn phòng HĐND - UBND",
        ],
    ),
    (
        "Phòng Văn hóa - Xã hội",
        "Phòng VH-XH",
        [
            "Phòng Văn hóa – Xã hội",
            "Phòng Văn hóa, Xã hội",
            "Phòng VHXH",
            "VHXH",
            "VH-XH",
            "Phòng VHXXH",
        ],
    ),
    (
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Phòng KTHTĐT",
        ["Phòng Kinh tế", "KTHTĐT", "Phòng Kinh tế, hạ tầng, đô thị"],
    ),
    ("Trung tâm Phục vụ hành chính công", "TT PVHCC", ["PVHCC", "HCC", "Trung tâm HCC"]),
    ("Trung tâm Dịch vụ tổng hợp", "TT DVTH", []),
    ("Công an phường", "Công an", ["CA phường", "Công an"]),
    ("Ban Chỉ huy Quân sự phường", "BCH Quân sự", ["Ban Chỉ huy Quân sự", "BCHQS"]),
    ("Văn phòng Đảng ủy", "VPĐU", ["VPĐU", "Văn phòng đảng ủy phường"]),
    (
        "Ủy ban MTTQ Việt Nam phường",
        "UBMTTQ",
        ["UBMTTQ", "MTTQVN", "Ủy ban MTTQ phường", "UBMTTQVN phường"],
    ),
    ("Trạm Y tế phường", "Trạm Y tế", ["Trạm Y tế"]),
    ("Tổ công nghệ số cộng đồng", "Tổ CNSCĐ", ["Tổ CNS cộng đồng"]),
]

PASSWORD = "theodoi-demo"

# (username, role, unit canonical name or None, full name, position)
USERS = [
    ("admin", "admin", None, "Quản trị hệ thống", "Quản trị viên"),
    ("tinh", "upper_level", None, "Đỗ Thanh Tùng", "Chuyên viên Sở KH&CN"),
    ("lanhdao", "leader", None, "Phạm Văn Tân", "Chủ tịch UBND phường"),
    (
        "vanphong",
        "standing_office",
        "Phòng Văn hóa - Xã hội",
        "Nguyễn Thị Hoa",
        "Chuyên viên Phòng VH-XH",
    ),
    ("canbo_vhxh", "unit_officer", "Phòng Văn hóa - Xã hội", "Trần Văn Minh", "Công chức"),
    ("canbo_congan", "unit_officer", "Công an phường", "Lê Quang Huy", "Cán bộ"),
]

PLAN = {
    "number": "110/KH-UBND",
    "issued_on": "2026-03-25",
    "issuer": "Ủy ban nhân dân phường Lê Chân",
    "issuer_kind": "peoples_committee",
    "title": (
        "Thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
        "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia năm 2026 tại phường Lê Chân"
    ),
    "period_start": "2026-01-01",
    "period_end": "2026-12-31",
    "reporting_cycle": "quarterly",
    "parent_references": (
        "Kế hoạch số 49/KH-UBND ngày 12/02/2026 của Ủy ban nhân dân thành phố về việc thực hiện "
        "Nghị quyết 57-NQ/TW"
    ),
}

SECTION = "Phụ lục: Nhiệm vụ trọng tâm trong năm 2026"

ACCOUNTABLE = "Chủ tịch UBND phường"

# (code, task, lead unit as written, coordinating units as written, deadline as written)
TASKS = [
    (
        "1",
        "Đưa vào khai thác hiệu quả các cơ sở dữ liệu quốc gia; các cơ sở dữ liệu dùng chung theo "
        "danh mục đã ban hành của bộ, ngành, địa phương để phát triển kinh tế - xã hội.",
        "Phòng Văn hóa – Xã hội",
        "Các phòng, ban, đơn vị, Trung tâm",
        "Tháng 6/2026",
    ),
    (
        "2",
        "Hoàn thành kết nối, khai thác, chia sẻ hiệu quả dữ liệu; triển khai các sáng kiến mở dữ liệu",
        "Phòng Văn hóa – Xã hội",
        "Các phòng, ban, đơn vị, Trung tâm",
        "Tháng 12/2026",
    ),
    (
        "3",
        "Phân đấu bố trí tỷ lệ phù hợp cán bộ có chuyên môn, kinh nghiệm về khoa học kỹ thuật trong "
        "đội ngũ lãnh đạo từng cơ quan, đơn vị nhà nước",
        "Phòng Văn hóa – Xã hội",
        "Các phòng, ban, đơn vị",
        "Thường xuyên",
    ),
    (
        "4",
        "Đẩy mạnh tái cấu trúc quy trình, cắt giảm, đơn giản hóa tối đa thủ tục hành chính, nâng cao "
        "chất lượng cung cấp dịch vụ công trực tuyến, nhất là các thủ tục liên quan đến cư trú, hộ tịch, "
        "giấy phép lái xe, đất đai, doanh nghiệp, triển khai tiếp cận, giải quyết thủ tục hành chính không "
        "phụ thuộc vào địa giới hành chính trong phạm vi cấp tỉnh",
        "Văn phòng HĐND & UBND phường",
        "Các phòng, ban, đơn vị",
        "Thường xuyên",
    ),
    (
        "5",
        "Tổ chức quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW đến cán bộ, công chức, viên chức các "
        "cơ quan, đơn vị thuộc phường bằng nhiều hình thức đa dạng, phong phú",
        "Phòng Văn hóa – Xã hội",
        "Các phòng, ban, đơn vị",
        "Thường xuyên",
    ),
    (
        "6",
        "Tổ chức ứng dụng trí tuệ nhân tạo dựa trên dữ liệu lớn trong các ngành, lĩnh vực quan trọng",
        "Phòng Văn hóa – Xã hội",
        "Các phòng, ban, đơn vị",
        "Thường xuyên",
    ),
    (
        "7",
        "Đào tạo kỹ năng số cho người dân thông qua Tổ công nghệ số cộng đồng",
        "Phòng Văn hóa – Xã hội",
        "Công an phường",
        "Thường xuyên",
    ),
    (
        "8",
        "Bảo đảm an toàn an ninh mạng tại cơ quan, đơn vị",
        "Công an phường",
        "Văn phòng HĐND & UBND",
        "Thường xuyên",
    ),
]

DIRECTIVE = (
    1,
    "Đề nghị Phòng Văn hóa - Xã hội báo cáo ngay tiến độ khai thác các cơ sở dữ liệu quốc gia; "
    "nhiệm vụ đã quá hạn tháng 6/2026.",
)

"""Demo data: four wards of two provinces, their units and people, and the five seed plans,
imported from their documents the way a ward's standing office would import them."""

PROVINCES = [
    {"name": "Thành phố Hải Phòng", "code": "HP", "kind": "province"},
    {"name": "Tỉnh Đồng Nai", "code": "DN", "kind": "province"},
]
# Each demo ward with its province and the seed plans it issued (theodoi/demo/seeds/).
WARDS = [
    {
        "name": "Phường Lê Chân",
        "code": "HP-LECHAN",
        "province": "HP",
        "seeds": ["004_2012e056c438d090.txt"],
    },
    {
        "name": "Phường Thành Đông",
        "code": "HP-THANHDONG",
        "province": "HP",
        "seeds": ["003_fd7da9144eb7c425.txt"],
    },
    {
        "name": "Phường Chơn Thành",
        "code": "DN-CHONTHANH",
        "province": "DN",
        "seeds": ["000_b000fe1748233775.txt"],
    },
    {
        "name": "Phường Phước Bình",
        "code": "DN-PHUOCBINH",
        "province": "DN",
        "seeds": ["001_09fb5f9fb85f4ed6.txt", "002_684bf11bda1f2b93.txt"],
    },
]
# The ward the demo users work in, and the province of the upper-level user.
WARD = WARDS[0]
PROVINCE = PROVINCES[0]

# The unit granted the recording of budget amounts (Unit.records_budget): the economy office.
BUDGET_UNIT = "Phòng Kinh tế, Hạ tầng và Đô thị"

# (canonical name, short name, aliases as the seeds spell them)
UNITS = [
    ("Ủy ban nhân dân phường", "UBND phường", ["UBND", "Ủy ban nhân dân"]),
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
            "Phòng VHXX",
            "Phòng VHXH phường",
        ],
    ),
    (
        BUDGET_UNIT,
        "Phòng KTHTĐT",
        [
            "Phòng Kinh tế",
            "KTHTĐT",
            "Phòng KTHTĐT",
            "Phòng Kinh tế, hạ tầng, đô thị",
            "Phòng KT, HT & ĐT",
            "Phòng KTHT, ĐT",
        ],
    ),
    (
        "Trung tâm Phục vụ hành chính công",
        "TT PVHCC",
        ["PVHCC", "HCC", "Trung tâm HCC", "Trung tâm PVHCC", "Trung tâm phục vụ HCC"],
    ),
    ("Trung tâm Dịch vụ tổng hợp", "TT DVTH", ["TTDVTH", "Trung tâm DVTH"]),
    ("Công an phường", "Công an", ["CA phường", "Công an"]),
    ("Ban Chỉ huy Quân sự phường", "BCH Quân sự", ["Ban Chỉ huy Quân sự", "BCHQS"]),
    ("Văn phòng Đảng ủy", "VPĐU", ["VPĐU", "Văn phòng đảng ủy phường"]),
    (
        "Ủy ban MTTQ Việt Nam phường",
        "UBMTTQ",
        ["UBMTTQ", "MTTQVN", "Ủy ban MTTQ phường", "UBMTTQVN phường", "UBMTTQV N", "UBMT"],
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
    # The ward's own administrator: its units and people, and its plans beside the office.
    ("qtphuong", "admin", None, "Vũ Minh Quân", "Công chức Văn phòng HĐND và UBND"),
]

# (section code, task code, text) of the leader's directive on the Lê Chân plan.
DIRECTIVE = (
    "PL",
    "1",
    "Đề nghị Phòng Văn hóa - Xã hội báo cáo ngay tiến độ khai thác các cơ sở dữ liệu quốc gia; "
    "nhiệm vụ đã quá hạn tháng 6/2026.",
)

# Work reported on the Lê Chân plan in the current period: (section, task code, who reports,
# percent, result, review of the attached file: None = no file, () = not reviewed yet,
# ("accept", "") or ("reject", reason)).
ACTIVITY = [
    (
        "PL",
        "8",
        "canbo_congan",
        100,
        "Đã rà soát an ninh mạng tại 12 cơ quan, đơn vị",
        ("accept", ""),
    ),
    (
        "PL",
        "7",
        "canbo_vhxh",
        100,
        "Đã đào tạo kỹ năng số cho 1.250 người dân",
        ("reject", "Báo cáo chưa có chữ ký và đóng dấu của đơn vị."),
    ),
    ("PL", "2", "canbo_vhxh", 60, "Đã kết nối 3/5 cơ sở dữ liệu dùng chung", None),
    ("PL", "5", "canbo_vhxh", 100, "Đã tổ chức 4 hội nghị quán triệt Nghị quyết 57", ()),
    ("PL", "6", "canbo_vhxh", 20, "Đang khảo sát nhu cầu ứng dụng trí tuệ nhân tạo", None),
]

# How the standing office completed the "6 rõ" of plan 110/KH-UBND in the app: the plan's body
# (sections 1–7) names no unit and no deadline, only its appendix does. Each group is one bulk
# assignment on the completeness page: (lead unit, coordinating units, deadline as typed, tasks
# as (section, code)).
VH_XH = "Phòng Văn hóa - Xã hội"
VP_UBND = "Văn phòng HĐND và UBND"
PVHCC = "Trung tâm Phục vụ hành chính công"
POLICE = "Công an phường"
COMPLETION = [
    (VH_XH, [VP_UBND], "Thường xuyên", [("1", "1.1"), ("1", "1.3"), ("1", "1.4"), ("4", "4.4")]),
    (VP_UBND, [VH_XH], "Quý II/2026", [("1", "1.2"), ("2", "2.1"), ("2", "2.3")]),
    (VH_XH, [BUDGET_UNIT], "Tháng 9/2026", [("2", "2.2"), ("5", "5.1")]),
    (
        VH_XH,
        [],
        "Thường xuyên",
        [("2", "2.4"), ("4", "4.1"), ("5", "5.5"), ("7", "7.1"), ("7", "7.3"), ("7", "7.4")],
    ),
    (BUDGET_UNIT, [VH_XH], "Quý IV/2026", [("2", "2.5"), ("3", "3.1"), ("3", "3.2"), ("6", "6.2")]),
    (VH_XH, [PVHCC], "Thường xuyên", [("3", "3.3"), ("5", "5.2")]),
    (PVHCC, [VP_UBND], "Quý III/2026", [("3", "3.4"), ("5", "5.3")]),
    (POLICE, [VH_XH], "Thường xuyên", [("3", "3.5"), ("5", "5.6")]),
    (VP_UBND, [], "Tháng 6/2026", [("4", "4.2"), ("4", "4.3")]),
    (VH_XH, [BUDGET_UNIT], "Quý IV/2026", [("5", "5.4")]),
    (
        BUDGET_UNIT,
        ["Trung tâm Dịch vụ tổng hợp", "Ủy ban MTTQ Việt Nam phường"],
        "Thường xuyên",
        [("6", "6.1"), ("6", "6.3"), ("6", "6.4"), ("6", "6.5"), ("7", "7.2"), ("7", "7.5")],
    ),
]

# The plan's cycle as its document states it is yearly; the office has the cyber-security task
# reported every week, as the police do for their own superiors.
WEEKLY_TASK = ("PL", "8")

# Amendment no. 1 of plan 110/KH-UBND: one deadline moved, one task added, one withdrawn.
AMENDMENT = {
    "number": "245/KH-UBND",
    "issued_on": (2026, 9, 15),
    "note": "Điều chỉnh, bổ sung Kế hoạch số 110/KH-UBND ngày 25/3/2026 của UBND phường",
    "moved": (("3", "3.4"), "Quý IV/2026"),
    "added": {
        "section": "PL",
        "code": "9",
        "title": "Triển khai trợ lý ảo hỗ trợ người dân tra cứu, nộp hồ sơ thủ tục hành chính "
        "tại Trung tâm Phục vụ hành chính công",
        "deadline_text": "Quý IV/2026",
        "lead": PVHCC,
        "coordinating": [VH_XH],
    },
    "withdrawn": (("7", "7.4"), "Đã gộp vào nhiệm vụ 7.1"),
}

# Evidence replaced and to replace (theodoi.demo.evidence): (section, task code, officer, photo
# name, rejection reason[, (replacement's name, its title)]).
EVIDENCE_REPLACED = (
    "PL",
    "5",
    "canbo_vhxh",
    "anh-hoi-nghi-quan-triet.png",
    "Ảnh chụp chưa đủ căn cứ, đề nghị bổ sung biên bản có chữ ký.",
    ("bien-ban-hoi-nghi-quan-triet.pdf", "Biên bản hội nghị quán triệt Nghị quyết 57"),
)
EVIDENCE_WAITING = (
    "PL",
    "8",
    "canbo_congan",
    "anh-kiem-tra-an-ninh-mang.png",
    "Ảnh không rõ nội dung, đề nghị bổ sung biên bản kiểm tra có chữ ký của đơn vị.",
)
EVIDENCE_PHOTO_NOTE = "Ảnh chụp tại buổi làm việc"

"""What the units wrote beside their figures in the demo: difficulties and proposals on two
appendix tasks of the Lê Chân plan, so that the periodic report has the units' own words to
assemble (results, difficulties, proposals), as a ward's real reports do."""

from theodoi.core.clock import today
from theodoi.org.models import Organization, User
from theodoi.plans.periods import period_of
from theodoi.tracking import services as tracking_services

# (section code, task code, username, percent, result, difficulties, proposals)
REPORT_WORDS = [
    (
        "PL",
        "1",
        "canbo_vhxh",
        70,
        "Đã khai thác Cơ sở dữ liệu quốc gia về dân cư tại bộ phận một cửa; đã rà soát 4/6 cơ "
        "sở dữ liệu dùng chung theo danh mục của thành phố",
        "Chưa được cấp đủ tài khoản khai thác cơ sở dữ liệu đất đai và hộ tịch; đường truyền "
        "tại bộ phận một cửa thường xuyên gián đoạn",
        "Đề nghị UBND thành phố cấp bổ sung 6 tài khoản khai thác cơ sở dữ liệu đất đai, hộ tịch "
        "cho công chức phường",
    ),
    (
        "PL",
        "3",
        "canbo_vhxh",
        50,
        "Đã rà soát đội ngũ lãnh đạo 12 cơ quan, đơn vị; 5/12 đơn vị đã bố trí cán bộ có chuyên "
        "môn khoa học kỹ thuật",
        "Nguồn cán bộ có chuyên môn về công nghệ thông tin còn ít, chế độ đãi ngộ chưa đủ "
        "sức thu hút",
        "Đề nghị Sở Nội vụ hướng dẫn cơ chế thu hút, đãi ngộ cán bộ có chuyên môn khoa học kỹ "
        "thuật ở cấp phường",
    ),
]


def units_write_their_difficulties(ward: Organization, users: dict[str, User]) -> None:
    plan = ward.plans.get()
    for section, code, username, percent, result, difficulties, proposals in REPORT_WORDS:
        task = plan.tasks.get(section__code=section, code=code)
        tracking_services.report_submit(
            actor=users[username],
            task=task,
            period=str(period_of(today(), task.cycle)),
            percent=percent,
            result=result,
            difficulties=difficulties,
            proposals=proposals,
        )

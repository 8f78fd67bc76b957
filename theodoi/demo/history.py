"""A report sent back and sent again in the demo: the standing office returns the police's
report of the current week for want of a figure, and the police send it again with it, so
the task page shows both sendings, the return between them and the time it was sent again."""

from theodoi.demo import data
from theodoi.org.models import Organization, User
from theodoi.reporting.models import ProgressReport
from theodoi.tracking import services as tracking_services


# Vietnamese on purpose: the reason and the corrected result are what people of the ward typed.
def returned_and_sent_again(ward: Organization, users: dict[str, User]) -> None:
    section, code = data.WEEKLY_TASK
    task = ward.plans.get().tasks.get(section__code=section, code=code)
    report = task.reports.filter(status=ProgressReport.Status.SUBMITTED).first()
    if report is None:
        return
    tracking_services.report_return(
        actor=users["vanphong"],
        report=report,
        reason="Đề nghị ghi rõ tên các cơ quan, đơn vị đã rà soát.",
    )
    # The return changed the task's progress through another instance: read it again, as the
    # next page a person opens would.
    task.refresh_from_db()
    tracking_services.report_submit(
        actor=users["canbo_congan"],
        task=task,
        period=report.period,
        percent=report.percent,
        result="Đã rà soát an ninh mạng tại 12 cơ quan, đơn vị (UBND phường, Đảng ủy, "
        "Trung tâm Phục vụ hành chính công và 9 trường học); không phát hiện sự cố.",
    )

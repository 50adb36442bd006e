"""The report's tables (migrations 9–10): departments' confirmations of their figures, the
report's submission and revisions, the year's analysis reports and the deadlines marked done.
Only store/ modules import these.

Figures are kept as JSON in the shape of `store.report.submission.Figures`:
{"total" or a department code: {"type", "type/outcome" or "all": [cases, persons]}}.
"""

from __future__ import annotations

from peewee import AutoField, IntegerField, TextField

from store.vault.database import BaseModel


class ReportConfirm(BaseModel):
    """A department confirmed its figures of a month (C5). A later confirmation of the same
    month and department stands; the earlier ones stay."""

    id = AutoField()
    month = TextField()  # "yyyy-mm"
    department = TextField()  # code of kind department
    confirmed_by = TextField()  # the department's person who confirmed (a name, as typed)
    confirmed_on = TextField()  # ISO date
    figures = TextField()  # JSON: the department's figures it saw (see the module's docstring)
    recorded_by = TextField()  # operator login name
    recorded_at = TextField()  # clock.stamp()

    class Meta:
        table_name = "report_confirm"


ReportConfirm.add_index(ReportConfirm.index(ReportConfirm.month, ReportConfirm.department,
                                            ReportConfirm.id, name="report_confirm_month"))


class ReportRevision(BaseModel):
    """A submission of a month's report: revision 1 is the submission (it locks the month),
    each later one lists its differences from the one before."""

    id = AutoField()
    month = TextField()  # "yyyy-mm"
    revision = IntegerField()  # 1, 2, ... within the month
    at = TextField()  # clock.stamp()
    by = TextField()  # operator login name
    submitted_to = TextField()  # to whom the report went, e.g. 市人民检察院
    note = TextField(default="")
    swing_note = TextField(default="")  # why totals moved more than the setting allows
    figures = TextField()  # JSON: every figure of the month (see the module's docstring)
    # JSON: [[where, line, [cases, persons] before, [cases, persons] after], ...]
    differences = TextField(default="[]")

    class Meta:
        table_name = "report_revision"
        indexes = ((("month", "revision"), True),)


class AnalysisReport(BaseModel):
    """An analysis report (统计分析, C14) registered as written; a mistaken one is voided."""

    id = AutoField()
    title = TextField()
    author = TextField()
    written_on = TextField()  # ISO date
    topic = TextField(default="")
    recorded_by = TextField()  # operator login name
    recorded_at = TextField()  # clock.stamp()
    status = TextField(default="active")  # active or void
    void_reason = TextField(default="")

    class Meta:
        table_name = "analysis_report"


AnalysisReport.add_index(AnalysisReport.index(AnalysisReport.written_on,
                                              name="analysis_report_day"))


class DeadlineMark(BaseModel):
    """A deadline the store cannot see done by itself, marked done by the statistician."""

    id = AutoField()
    month = TextField()  # "yyyy-mm"
    key = TextField()  # the deadline's key (deadlines.MARKABLE, or holiday-eve:<ISO date>)
    at = TextField()  # clock.stamp()
    by = TextField()  # operator login name

    class Meta:
        table_name = "deadline_mark"
        indexes = ((("month", "key"), True),)


class ZeroReturn(BaseModel):
    """A department said it has no cases this month (零报, m0018): its cards are handed in."""

    id = AutoField()
    month = TextField()  # "yyyy-mm"
    department = TextField()  # code of kind department
    confirmed_by = TextField()  # the department's person who said so (a name, as typed)
    confirmed_on = TextField()  # ISO date
    recorded_by = TextField()  # operator login name
    recorded_at = TextField()  # clock.stamp()

    class Meta:
        table_name = "zero_return"
        indexes = ((("month", "department"), True),)

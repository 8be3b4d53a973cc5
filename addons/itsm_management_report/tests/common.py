from datetime import date

from freezegun import freeze_time

from odoo.addons.itsm_communication.tests.common import setup_communication
from odoo.addons.itsm_service_report.tests.common import JANUARY, ServiceReportCommon

__all__ = ["JANUARY", "ManagementReportCommon"]


class ManagementReportCommon(ServiceReportCommon):
    """January 2025 of the whole company: the service report fixture (customer A's five tickets,
    customer B's one, a major incident, a complaint whose subject looks like a formula, an
    improvement action, a real and a default rating), two of A's tickets resolved by agent 1, a
    ticket of A escalated to a vendor with an underpinning contract, and the highlights the
    service manager wrote."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_communication(cls)
        cls.MgmtReport = cls.env["itsm.management.report"]
        cls.tickets[:2].user_id = cls.agent_1
        cls.vendor = cls.env["res.partner"].create(
            {"name": "=cmd|' /C calc'!A0 Storage Inc", "is_company": True, "is_itsm_vendor": True}
        )
        cls.underpinning = cls._contract(
            "Storage UC", False, targets=[("response", False, 1.0)], kind="vendor", vendor_id=cls.vendor.id
        )
        with freeze_time("2025-01-08 15:00:00"):
            cls.vendor_ticket = cls.env["itsm.vendor.ticket"].create(
                {"ticket_id": cls.open_ticket.id, "vendor_id": cls.vendor.id}
            )
        with freeze_time("2025-01-08 17:00:00"):
            cls.vendor_ticket.action_answered()
        with freeze_time("2025-01-08 19:00:00"):
            cls.vendor_ticket.action_resolved()
        Highlight = cls.env["itsm.communication.highlight"]
        cls.highlight = Highlight.create(
            {
                "name": "ISO/IEC 20000-1 certified",
                "kind": "certification",
                "date": "2025-01-20",
                "description": "<p>Audited without a single finding.</p>",
            }
        )
        Highlight.create({"name": "Draft news", "date": "2025-01-21", "is_published": False})
        Highlight.create({"name": "February news", "date": "2025-02-03"})

    @classmethod
    def _mgmt_report(cls, date_from=JANUARY, kind="month", company=None):
        return cls.MgmtReport.create(
            {
                "date_from": date_from,
                "period_kind": kind,
                "company_id": (company or cls.company).id,
            }
        )


FEBRUARY = date(2025, 2, 1)

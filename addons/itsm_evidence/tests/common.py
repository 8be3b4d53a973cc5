import base64
import io
from datetime import timedelta

import openpyxl

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import date_utils

FORMULA = '=HYPERLINK("http://x","y")'


class EvidenceCommon(TransactionCase):
    """Company 1 in Shanghai (UTC+8) with records of every sheet inside a period of three weeks
    around today, tickets at the first and one minute after the last minute of the period in the
    company's time zone; company 2 with a ticket of its own in the same period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Evidence Company"})
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company_2 = cls.env["res.company"].create({"name": "Evidence Second Company"})
        # the fixture's records are made in the new company, apart from any demo data
        cls.env = env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        today = fields.Date.context_today(env["res.partner"].with_context(tz="Asia/Shanghai"))
        cls.date_from, cls.date_to = today - timedelta(days=10), today + timedelta(days=10)
        cls.start, cls.end = cls.company._itsm_evidence_bounds(cls.date_from, cls.date_to)
        in_company = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.desk_manager = new_test_user(
            env,
            "ev_desk_manager",
            groups="itsm_helpdesk.group_itsm_manager",
            name="Desk Manager",
            **in_company,
        )
        cls.process_owner = new_test_user(
            env,
            "ev_process_owner",
            groups="itsm_helpdesk.group_itsm_manager,itsm_complaints.group_complaint_process_owner",
            name="Process Owner",
            **in_company,
        )
        cls.both_companies = new_test_user(
            env,
            "ev_both",
            groups="itsm_helpdesk.group_itsm_manager",
            company_id=cls.company.id,
            company_ids=[Command.set([cls.company.id, cls.company_2.id])],
            name="Both Companies",
        )
        cls.team = env["itsm.team"].create({"name": "Evidence desk"})
        cls.customer = env["res.partner"].create({"name": "Evidence Customer", "is_company": True})
        Ticket = env["itsm.ticket"]
        now = fields.Datetime.now()

        def ticket(name, kind="incident", opened_at=now, **values):
            return Ticket.create(
                dict(
                    {"name": name, "kind": kind, "team_id": cls.team.id, "partner_id": cls.customer.id},
                    opened_at=opened_at,
                    **values,
                )
            )

        cls.incident = ticket(FORMULA)
        cls.first_minute = ticket("First minute of the period", opened_at=cls.start)
        cls.last_minute = ticket("Last minute of the period", opened_at=cls.end - timedelta(minutes=1))
        cls.after_end = ticket("One minute after the period", opened_at=cls.end + timedelta(minutes=1))
        cls.before_start = ticket("One minute before the period", opened_at=cls.start - timedelta(minutes=1))
        cls.request = ticket("New laptop", kind="service_request")
        cls.change = ticket("Firewall rule", kind="change_request")
        cls.major = ticket("Mail down for everyone", is_major_incident=True)
        env["itsm.major.incident.review"].create({"ticket_id": cls.major.id, "root_cause": "Disk full"})
        cls.ticket_2 = Ticket.with_company(cls.company_2).create(
            {"name": "Company two secret", "company_id": cls.company_2.id, "opened_at": now}
        )
        env["itsm.problem"].create({"name": "Mail queue fills the disk"})
        env["rating.rating"].create(
            {
                "res_model_id": env["ir.model"]._get_id("itsm.ticket"),
                "res_id": cls.request.id,
                "rating": 5,
                "consumed": True,
                "partner_id": cls.customer.id,
            }
        )
        vendor = env["res.partner"].create(
            {"name": "Evidence Vendor", "is_company": True, "is_itsm_vendor": True}
        )
        env["itsm.vendor.ticket"].create({"ticket_id": cls.incident.id, "vendor_id": vendor.id})
        contract = env["itsm.sla.contract"].create({"name": "Evidence SLA", "partner_id": cls.customer.id})
        env["itsm.sla.review"].create(
            {"contract_id": contract.id, "date_from": cls.date_from, "date_to": today}
        )
        cls.complaint = env["itsm.complaint"].create(
            {"name": "Nobody called back", "partner_id": cls.customer.id}
        )
        env["itsm.complaint.review"].create(
            {
                "period_type": "monthly",
                "period_start": date_utils.start_of(today, "month"),
                "period_end": date_utils.end_of(today, "month"),
            }
        )
        env["itsm.improvement.action"].create(
            {"name": "Call back within a day", "owner_id": cls.process_owner.id, "due_date": cls.date_to}
        )
        env.flush_all()

    def export(self, user, company=None, **context):
        """Run the wizard as ``user``: the log and the workbook as {sheet: rows of values}."""
        Wizard = self.env["itsm.evidence.export.wizard"].with_user(user).with_context(**context)
        wizard = Wizard.create(
            {"company_id": (company or self.company).id, "date_from": self.date_from, "date_to": self.date_to}
        )
        action = wizard.action_export()
        log = self.env["itsm.evidence.export"].search([], limit=1)
        self.assertIn(f"/web/content/{log.attachment_id.id}", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(log.attachment_id.datas)))
        return log, workbook

    @staticmethod
    def rows(workbook, title):
        return [list(row) for row in workbook[title].iter_rows(min_row=2, values_only=True)]

    @staticmethod
    def column(workbook, title, header):
        sheet = workbook[title]
        headers = [cell.value for cell in sheet[1]]
        index = headers.index(header)
        return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]

from odoo.tests import new_test_user

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon


class ComplaintCommon(ItsmCommon):
    """Desk users of itsm_helpdesk's fixtures plus the complaint roles and a complaint about Alice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the scripted complaints are the whole population the figures and rules are checked on
        cls.env["itsm.complaint.review"].sudo().search([]).unlink()
        cls.env["itsm.complaint"].sudo().search([]).unlink()
        cls.receiver = new_test_user(
            cls.env,
            "cmp_receiver",
            groups="itsm_complaints.group_complaint_receiver",
            name="Rita Receiver",
            email="rita@desk.example.com",
        )
        cls.handler = new_test_user(
            cls.env,
            "cmp_handler",
            groups="itsm_complaints.group_complaint_handler",
            name="Hugo Handler",
            email="hugo@desk.example.com",
        )
        cls.process_owner = new_test_user(
            cls.env,
            "cmp_owner",
            groups="itsm_complaints.group_complaint_process_owner",
            name="Olga Owner",
            email="olga@desk.example.com",
        )
        cls.director = new_test_user(
            cls.env,
            "cmp_director",
            groups="itsm_complaints.group_complaint_process_owner",
            name="Dora Director",
            email="dora@desk.example.com",
        )
        cls.lead = new_test_user(
            cls.env,
            "cmp_lead",
            groups="itsm_complaints.group_improvement_lead",
            name="Liam Lead",
            email="liam@desk.example.com",
        )
        cls.company.write(
            {
                "itsm_complaint_process_owner_id": cls.process_owner.id,
                "itsm_complaint_management_id": cls.director.id,
            }
        )
        cls.category_attitude = cls.env.ref("itsm_complaints.category_attitude")
        cls.category_time = cls.env.ref("itsm_complaints.category_response_time")
        cls.ticket_a = cls._ticket(name="Printer jam", user_id=cls.agent_1.id)

    @classmethod
    def _complaint(cls, **values):
        vals = {
            "name": "Agent was rude",
            "partner_id": cls.portal_a.partner_id.id,
            "category_id": cls.category_attitude.id,
            "agent_id": cls.agent_1.id,
            "team_id": cls.team_desk.id,
            "description": "<p>She hung up on me.</p>",
        }
        vals.update(values)
        return cls.env["itsm.complaint"].with_user(cls.receiver).create(vals).with_env(cls.env)

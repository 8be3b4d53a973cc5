from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon


def setup_communication(cls):
    """Users of each role, a customer stakeholder and the board, a running plan without lines."""
    cls.comm_manager = new_test_user(
        cls.env,
        "comm_manager",
        groups="itsm_communication.group_communication_manager",
        name="Mona Manager",
        email="mona@desk.example.com",
    )
    cls.relationship_manager = new_test_user(
        cls.env,
        "comm_officer",
        groups="itsm_communication.group_communication_officer",
        name="Oscar Officer",
        email="oscar@desk.example.com",
    )
    cls.other_officer = new_test_user(
        cls.env,
        "comm_officer_2",
        groups="itsm_communication.group_communication_officer",
        name="Olga Officer",
        email="olga@desk.example.com",
    )
    cls.board_member = cls.env["res.partner"].create({"name": "Bea Board", "email": "bea@board.example.com"})
    cls.stakeholder_a = cls.env["itsm.stakeholder"].create(
        {
            "name": "Customer A",
            "kind": "customer",
            "partner_id": cls.customer_a.id,
            "contact_ids": [Command.set([cls.portal_a.partner_id.id])],
            "owner_id": cls.relationship_manager.id,
        }
    )
    cls.stakeholder_board = cls.env["itsm.stakeholder"].create(
        {
            "name": "Board",
            "kind": "board",
            "contact_ids": [Command.set([cls.board_member.id])],
            "owner_id": cls.comm_manager.id,
        }
    )
    cls.plan = cls.env["itsm.communication.plan"].create(
        {"name": "Plan", "owner_id": cls.comm_manager.id, "state": "active"}
    )
    # the demo plan is not these tests' concern
    cls.env["itsm.communication.plan"].search([("id", "!=", cls.plan.id)]).write({"state": "closed"})


class CommunicationCommon(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_communication(cls)

    @classmethod
    def _line(cls, **values):
        vals = {
            "plan_id": cls.plan.id,
            "stakeholder_id": cls.stakeholder_a.id,
            "content_kind": "kpi_digest",
            "frequency": "monthly",
            "channel": "email",
            "owner_id": cls.relationship_manager.id,
            "start_date": "2026-01-01",
        }
        vals.update(values)
        return cls.env["itsm.communication.plan.line"].create(vals)

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CommunicationCommon


@tagged("post_install", "-at_install")
class TestAgentFigures(CommunicationCommon):
    @freeze_time("2026-02-10 09:00:00")
    def test_agent_sees_own_workload_and_recognition_only(self):
        mine = self._ticket(user_id=self.agent_1.id)
        self._ticket(user_id=self.agent_1.id)
        self._ticket(user_id=self.agent_2.id)
        mine.stage_id = self.stage_solved
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("itsm.ticket"),
                "res_id": mine.id,
                "partner_id": self.portal_a.partner_id.id,
                "rating": 5,
                "consumed": True,
            }
        )
        figures = self.env["itsm.agent.figures"].with_user(self.agent_1).create({"user_id": self.agent_2.id})
        self.assertEqual(figures.user_id, self.agent_1, "one's own figures, whatever is asked")
        self.assertEqual(
            (figures.assigned_count, figures.closed_count, figures.first_line_count, figures.open_count),
            (2, 1, 1, 1),
        )
        self.assertEqual((figures.compliment_count, figures.rating_average), (1, 5.0))
        with self.assertRaises(AccessError):
            figures.with_user(self.agent_2).read(["closed_count"])

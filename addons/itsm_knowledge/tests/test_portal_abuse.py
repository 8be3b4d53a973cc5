import json
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_knowledge_portal import ItsmKnowledgePortalCommon


@tagged("post_install", "-at_install")
class TestDeflectionThrottle(ItsmKnowledgePortalCommon):
    @mute_logger("odoo.http")
    def test_deflections_are_throttled_per_user(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        url = f"/my/knowledge/{self.article_vpn.id}/deflect"
        with patch("odoo.addons.itsm_knowledge.controllers.portal.PORTAL_DEFLECTION_LIMIT", 2):
            for _i in range(2):
                self.make_jsonrpc_request(url, {"query": "vpn"})
            payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"query": "vpn"}}
            error = self.url_open(
                url, data=json.dumps(payload), headers={"Content-Type": "application/json"}
            ).json()["error"]
        self.assertIn("please wait", error["data"]["message"], "the user is told why")
        self.assertEqual(len(self._deflections()), 2)

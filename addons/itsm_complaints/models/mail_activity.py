from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    has_itsm_document_access = fields.Boolean(
        "Readable Complaint",
        compute="_compute_has_itsm_document_access",
        search="_search_has_itsm_document_access",
        help="False for what belongs to a complaint the user may not read (used by a record rule).",
    )

    @api.depends_context("uid")
    def _compute_has_itsm_document_access(self):
        domain = self.env["itsm.complaint"]._get_mail_access_domain("res_model")
        readable = self.sudo().with_context(active_test=False).search([("id", "in", self.ids), *domain])
        for record in self:
            record.has_itsm_document_access = record in readable

    def _search_has_itsm_document_access(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(f"Unsupported search on {self._name}.has_itsm_document_access")
        domain = self.env["itsm.complaint"]._get_mail_access_domain("res_model")
        return domain if (operator == "=") == value else ["!", *domain]

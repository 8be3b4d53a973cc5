from odoo import fields, models


class ItsmEvidenceExport(models.Model):
    """The log of the ISO/IEC 20000 evidence exports: who exported which company's records of
    which period, when, how many rows of each kind, and the workbook that left the system."""

    _name = "itsm.evidence.export"
    _description = "ISO/IEC 20000 Evidence Export"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Exported By", required=True, readonly=True)
    exported_at = fields.Datetime(required=True, readonly=True)
    date_from = fields.Date("Period From", required=True, readonly=True)
    date_to = fields.Date("Period To", required=True, readonly=True)
    row_count = fields.Integer("Rows", readonly=True)
    row_counts = fields.Text("Rows per Sheet", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "Workbook", readonly=True)

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

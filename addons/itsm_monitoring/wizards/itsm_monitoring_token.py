from odoo import api, fields, models


class ItsmMonitoringToken(models.TransientModel):
    """Shows a monitoring source's new token once.

    The dialog is opened with the token in its context and closed without saving,
    so the clear token is never written to the database.
    """

    _name = "itsm.monitoring.token"
    _description = "New Monitoring Token"

    source_id = fields.Many2one("itsm.monitoring.source", readonly=True, ondelete="cascade")
    token = fields.Char(readonly=True)
    alert_url = fields.Char("Endpoint", compute="_compute_alert_url")

    @api.depends("source_id")
    def _compute_alert_url(self):
        for wizard in self:
            wizard.alert_url = wizard.source_id.alert_url or False

    @api.model_create_multi
    def create(self, vals_list):
        # the dialog is never meant to be saved: should it be, the token still is not stored
        return super().create([dict(vals, token=False) for vals in vals_list])

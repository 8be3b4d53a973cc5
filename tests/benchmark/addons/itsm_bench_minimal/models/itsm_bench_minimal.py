from odoo import fields, models


class ItsmBenchMinimal(models.Model):
    """The cheapest useful mail.thread model: the benchmark's yardstick for itsm.ticket."""

    _name = "itsm.bench.minimal"
    _description = "ITSM Benchmark Minimal Record"
    _inherit = ["mail.thread"]

    name = fields.Char(tracking=True)
    state = fields.Selection([("new", "New"), ("done", "Done")], default="new", tracking=True)

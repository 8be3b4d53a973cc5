from odoo import api, fields, models, tools

IMPACTS = [("1", "High"), ("2", "Medium"), ("3", "Low")]
URGENCIES = [("1", "High"), ("2", "Medium"), ("3", "Low")]
PRIORITIES = [
    ("1", "P1 - Critical"),
    ("2", "P2 - High"),
    ("3", "P3 - Moderate"),
    ("4", "P4 - Low"),
    ("5", "P5 - Planning"),
]


class ItsmPriorityRule(models.Model):
    """One cell of the impact x urgency matrix.

    Rules without a company are the default matrix; a company may override any
    cell with a rule of its own.
    """

    _name = "itsm.priority.rule"
    _description = "Priority Matrix Cell"
    _order = "company_id, impact, urgency"

    impact = fields.Selection(IMPACTS, required=True)
    urgency = fields.Selection(URGENCIES, required=True)
    priority = fields.Selection(PRIORITIES, required=True)
    company_id = fields.Many2one("res.company", index=True)

    _sql_constraints = [
        (
            "cell_unique",
            "UNIQUE NULLS NOT DISTINCT (company_id, impact, urgency)",
            "The priority matrix has one cell per impact and urgency.",
        ),
    ]

    @api.model
    @tools.ormcache("company_id")
    def _get_matrix(self, company_id):
        """Return {(impact, urgency): priority} for the company, defaults filled in."""
        rules = self.sudo().search_fetch(
            [("company_id", "in", [False, company_id])],
            ["impact", "urgency", "priority", "company_id"],
        )
        matrix = {}
        # company cells override the default ones
        for rule in rules.sorted(lambda r: bool(r.company_id)):
            matrix[(rule.impact, rule.urgency)] = rule.priority
        return matrix

    @api.model
    def _get_priority(self, company_id, impact, urgency):
        return self._get_matrix(company_id).get((impact, urgency), "3")

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

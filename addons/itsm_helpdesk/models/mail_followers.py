import functools

from odoo import api, models, tools
from odoo.osv import expression


class MailFollowers(models.Model):
    """The followers of the suite's documents show only with the documents the user may read.

    Odoo lets every employee read every follower: for a ticket of a members-only team or a
    complaint, the list names the record and its people (the complainant, the agent concerned).
    Odoo's own documents keep Odoo's behaviour; the system (sudo) is not restricted.
    """

    _inherit = "mail.followers"

    @api.model
    @tools.ormcache()
    def _itsm_followed_models(self):
        """The suite's models that have followers, read from the registry (extensions included)."""
        return tuple(
            sorted(
                name
                for name, model in self.pool.items()
                if (model._original_module or "").startswith("itsm")
                and not model._abstract
                and not model._transient
                and "message_follower_ids" in model._fields
            )
        )

    @api.model
    def _itsm_readable_domain(self):
        followed = self._itsm_followed_models()
        domains = [[("res_model", "not in", followed)]]
        for name in followed:
            Document = self.env[name]
            if Document.has_access("read"):
                domains.append([("res_model", "=", name), ("res_id", "in", Document._search([]))])
        return expression.OR(domains)

    @api.model
    def _search(self, domain, *args, **kwargs):
        if not self.env.su:
            domain = expression.AND([domain, self._itsm_readable_domain()])
        return super()._search(domain, *args, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self._ids:
            return result
        checked = self - result[0] if result else self
        if forbidden := checked - checked.search([("id", "in", checked.ids)]):
            forbidden = (result[0] + forbidden) if result else forbidden
            return forbidden, functools.partial(self.env["ir.rule"]._make_access_error, operation, forbidden)
        return result

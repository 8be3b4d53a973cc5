from odoo import api, models
from odoo.osv import expression

# the fields through which a thread's messages are searched
MESSAGE_FIELDS = ("message_ids", "website_message_ids")


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su and not self.env.user._is_internal():
            domain = self._itsm_public_message_domain(domain)
        return super()._search(domain, offset, limit, order)

    @api.model
    def _itsm_public_message_domain(self, domain):
        """``domain`` where every condition on the thread's messages only matches the messages
        a portal user or a visitor may read: no internal note, no internal subtype.

        The messages of a thread are joined without access rules, so that otherwise a portal
        search on messages (or a plain RPC search) would reveal an internal note character by
        character.
        """
        result = []
        for item in domain:
            if isinstance(item, (list, tuple)) and len(item) == 3 and isinstance(item[0], str):
                head, _dot, rest = item[0].partition(".")
                if head in MESSAGE_FIELDS and head in self._fields:
                    item = self._itsm_public_message_leaf(head, rest, item[1], item[2])
            result.append(item)
        return result

    @api.model
    def _itsm_public_message_leaf(self, field_name, path, operator, value):
        share = self.env["mail.message"]._get_search_domain_share()
        if path:
            return (field_name, "any", [*share, (path, operator, value)])
        if operator in ("any", "not any"):
            if not isinstance(value, (list, tuple)):
                value = [("id", "in", value)]
            return (field_name, operator, [*share, *value])
        if value is False or value is None:
            positive = operator in ("!=", "<>")
            return (field_name, "any" if positive else "not any", share)
        negative = operator in expression.NEGATIVE_TERM_OPERATORS
        if negative:
            operator = expression.TERM_OPERATORS_NEGATION[operator]
        condition = ("id", operator, value) if operator in ("=", "in") else ("display_name", operator, value)
        return (field_name, "not any" if negative else "any", [*share, condition])

    def _message_parse_extract_payload(self, message, msg_dict, save_original=False):
        """Read a part with an unknown charset as UTF-8 instead of rejecting the whole e-mail.

        A mail client that declares a charset Python does not know would otherwise
        make the gateway refuse the message, and the requester's report never
        reaches the desk.
        """
        try:
            return super()._message_parse_extract_payload(message, msg_dict, save_original=save_original)
        except LookupError:
            for part in message.walk():
                if part.get_content_maintype() == "text" and part.get_content_charset():
                    part.set_param("charset", "utf-8")
            return super()._message_parse_extract_payload(message, msg_dict, save_original=save_original)

    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        """Let the target of a reply decide whether its sender may join it (see ``_routing_filter_reply``)."""
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        filtered = []
        for route in routes:
            Model = self.env[route[0]]
            if route[1]:
                new_route = Model.sudo()._routing_filter_reply(message_dict, route)
                if new_route != route:
                    # a changed route obeys the alias's contact policy like any other
                    new_route = self._routing_check_route(
                        message, message_dict, new_route, raise_exception=False
                    )
                route = new_route
            if route:
                filtered.append(route)
        return filtered

    def _routing_filter_reply(self, message_dict, route):
        """Hook: the route of an incoming reply to a record of this model, possibly changed.

        ``route`` is ``(model, thread_id, custom_values, user_id, alias)`` with a thread; return it
        as is to post the reply on that record, or another route (e.g. without a thread, to open a
        new record). ``message_dict`` may be adapted (e.g. ``is_internal``).
        """
        return route

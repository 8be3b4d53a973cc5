from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

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
            if route[1] and hasattr(Model, "_routing_filter_reply"):
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

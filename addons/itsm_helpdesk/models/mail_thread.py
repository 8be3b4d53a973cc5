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

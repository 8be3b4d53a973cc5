from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.http import request

from ..controllers import monitoring  # the module: it imports this package's models too


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_itsm_monitoring(cls):
        """Monitoring tools: the Bearer token of a source.

        Checked before Odoo dispatches the request, which parses a form body: a request without a
        valid token is answered 401 (or 429) without a byte of its body being read.
        """
        cls._auth_method_none()
        controller = monitoring.ItsmMonitoringController
        try:
            source = controller._authenticate_request()
        except monitoring.AlertRequestError as error:
            raise HTTPException(response=controller._error_response(error)) from error
        request.update_context(itsm_monitoring_source_id=source.id)

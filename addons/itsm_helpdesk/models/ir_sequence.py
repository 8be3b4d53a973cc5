from odoo import models


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _itsm_next_numbers(self, count):
        """Return ``count`` next numbers of the sequence.

        A standard sequence draws them from its PostgreSQL sequence in a single
        query, and its prefix and suffix are interpolated once for all of them
        (``get_next_char`` does it per number: a dozen date formats each time);
        other implementations fall back to one call per number.
        """
        self.ensure_one()
        if self.implementation != "standard" or self.use_date_range:
            return [self.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", (f"ir_sequence_{self.id:03d}", count)
        )
        prefix, suffix = self._get_prefix_suffix()
        digits = "%%0%sd" % self.padding  # the format of ``get_next_char``
        return [prefix + digits % number + suffix for (number,) in self.env.cr.fetchall()]

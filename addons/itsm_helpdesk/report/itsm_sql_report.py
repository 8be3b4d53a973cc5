from odoo import models, tools
from odoo.tools import SQL


class ItsmSqlReport(models.AbstractModel):
    """Base of the suite's SQL-view reports, built as Odoo's ``project.report`` is.

    The view is ``WITH _with() SELECT _select() FROM _from() WHERE _where() GROUP BY _group_by()
    HAVING _having()``; each part is a method returning :class:`~odoo.tools.SQL` without its
    keyword (empty when the clause is not used), so that another module adds a column (a field
    and a line of ``_select``) or a join without rewriting the view. A report made of several
    queries (a ``UNION``) overrides ``_query``.
    """

    _name = "itsm.sql.report"
    _description = "Service Desk SQL Report"

    def _with(self):
        return SQL()

    def _select(self):
        raise NotImplementedError

    def _from(self):
        raise NotImplementedError

    def _where(self):
        return SQL()

    def _group_by(self):
        return SQL()

    def _having(self):
        return SQL()

    def _query(self):
        """The SELECT statement of the view, composed of the parts above."""
        parts = []
        if with_clause := self._with():
            parts.append(SQL("WITH %s", with_clause))
        parts.append(SQL("SELECT %s FROM %s", self._select(), self._from()))
        if where := self._where():
            parts.append(SQL("WHERE %s", where))
        if group_by := self._group_by():
            parts.append(SQL("GROUP BY %s", group_by))
        if having := self._having():
            parts.append(SQL("HAVING %s", having))
        return SQL(" ").join(parts)

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )

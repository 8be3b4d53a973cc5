/** @odoo-module **/

import { registry } from "@web/core/registry";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";
import { AnnouncementBanner } from "./announcement_banner";

export class ItsmTicketListController extends ListController {
    static template = "itsm_announcement.TicketListView";
    static components = { ...ListController.components, AnnouncementBanner };
}

export class ItsmTicketKanbanController extends KanbanController {
    static template = "itsm_announcement.TicketKanbanView";
    static components = { ...KanbanController.components, AnnouncementBanner };
}

registry.category("views").add("itsm_ticket_list", { ...listView, Controller: ItsmTicketListController });
registry.category("views").add("itsm_ticket_kanban", { ...kanbanView, Controller: ItsmTicketKanbanController });

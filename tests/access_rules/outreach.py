from tests.access_rules import COORDINATOR, MEMBER, OWNER

RULES = {
    "outreach.mine": MEMBER,
    "outreach.board": COORDINATOR,
    "outreach.create_task": MEMBER,
    "outreach.show_task": MEMBER,
    # The world's task is owned by the coordinator: a member may look but not change it.
    "outreach.edit_task": OWNER,
    "outreach.delete_task": OWNER,
    # The board's status buttons: the world's task is owned by the coordinator.
    "outreach.set_status": OWNER.with_data(status="in_progress", version="1"),
    "outreach.tasks_from_path": COORDINATOR.with_data(target="contact:0", path="0"),
    "outreach.change_stage": COORDINATOR,
    "outreach.tick": COORDINATOR.with_data(item="history", done="1"),
    "outreach.add_evidence": MEMBER,
    # The world's evidence count was recorded by the coordinator.
    "outreach.delete_evidence": OWNER,
    "outreach.log_touchpoint": MEMBER,
    "outreach.cultivate": MEMBER,
    "outreach.brief": MEMBER,
    "outreach.brief_pdf": MEMBER,
    "outreach.calendar": MEMBER,
    # Everyone makes and turns off their own calendar link.
    "outreach.new_calendar_link": MEMBER,
    "outreach.revoke_calendar_link": MEMBER,
}

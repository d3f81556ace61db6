from tests.access_rules import COORDINATOR

RULES = {
    "members.index": COORDINATOR,
    "members.approve": COORDINATOR,
    "members.set_role": COORDINATOR.with_data(role="coordinator"),
    "members.remove": COORDINATOR,
}

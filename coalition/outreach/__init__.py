"""Outreach: tasks, the interaction log (touchpoints), preparing an issue (checklist and
stages), evidence, the meeting brief and the members' calendar feed."""

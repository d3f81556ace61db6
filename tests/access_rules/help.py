from tests.access_rules import PUBLIC

# The method and the glossary are the same for everyone, chapter or not.
RULES = {"help.method": PUBLIC, "help.glossary": PUBLIC}

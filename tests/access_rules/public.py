from tests.access_rules import PUBLIC

RULES = {
    "public.join": PUBLIC,
    "public.thanks": PUBLIC,
}

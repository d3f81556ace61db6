"""Help pages: how the leverage is worked out, and a glossary of the words the app uses."""

"""What every area uses: configuration, the extensions, database set-up, access rules,
security headers, rate limits, error pages, template helpers, the page cache, form
helpers, mail, the command line and the vendored browser files."""

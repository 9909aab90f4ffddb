"""The list's own CI: fixes to the list as a patch, findings as GitHub annotations, a pull
request's check, and the fixes pull request the action keeps (issue 23)."""

"""A/B tests of resident pages: consistent assignment, honest statistics and a plain-English verdict.

We evaluated wagtail-ab-testing 0.14 (the newest release): it declares support for Wagtail 7
only, needs numpy and scipy, compares exactly two versions, and has no notion of a visitor who
declined analytics cookies. So Signpost has its own small implementation here: the models are
`webteam.models.AbTest` and `AbTestVariant`; the statistics are pure functions in `stats`, the
assignment rules in `assignment`, and the operations (start, record, publish the winner) in
`services`.
"""

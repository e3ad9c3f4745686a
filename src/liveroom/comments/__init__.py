"""Live-comment intelligence (弹幕): classify, answer, alert, queue and keyword games.

Pure domain code: no web framework, no database, no I/O at import time. The public entry
point for request handlers is :class:`liveroom.comments.pipeline.CommentAnalyzer`.
"""

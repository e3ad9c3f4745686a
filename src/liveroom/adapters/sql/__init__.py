"""sql adapters"""

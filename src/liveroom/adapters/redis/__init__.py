"""redis adapters"""

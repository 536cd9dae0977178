"""Talking to chat models: the litellm client (`client`), the reviewer's prompts (`prompts`), reading replies (`parsing`).

litellm is imported only inside `client`'s functions, so nothing here costs
start-up time until a model is called.
"""

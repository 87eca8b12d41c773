"""The app's screens: start, reflection chat, and the views opened over the chat."""

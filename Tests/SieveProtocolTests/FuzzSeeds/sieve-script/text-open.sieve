text:

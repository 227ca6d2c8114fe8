"""The district hub (区局平台): the server the offices' programs sync with."""

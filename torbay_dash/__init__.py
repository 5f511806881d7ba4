"""torbay_dash: a performance dashboard for children's services in England."""
__version__ = "0.1.0"

"""X11 back-ends on python-xlib: global hotkeys (XGrabKey), synthetic keys (XTest), the keyboard state
(XQueryKeymap) and the focused window (_NET_ACTIVE_WINDOW, WM_CLASS). One connection, separate from
Qt's, whose events the desktop layer pumps from a QSocketNotifier."""

"""X11 back-ends on libX11 and libXtst (ctypes, xlib.py): global hotkeys (XGrabKey), synthetic keys (XTest),
the keyboard state (XQueryKeymap) and the focused window (_NET_ACTIVE_WINDOW, WM_CLASS). One connection,
separate from Qt's, whose events the desktop layer pumps from a QSocketNotifier. The clipboard keeper's
helper process, started only at quit, speaks X11 through python-xlib."""

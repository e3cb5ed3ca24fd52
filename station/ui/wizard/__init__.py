"""The enrollment wizard: one screen per step of `station.enrollment.machine.Enrollment`, driven
by the keyboard; the core decides, the screens render its outcomes and forward keys."""

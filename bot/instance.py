"""This process's name among the instances sharing one database: host and pid."""

from __future__ import annotations

import os
import socket

INSTANCE_NAME = f"{socket.gethostname()}:{os.getpid()}"[:64]

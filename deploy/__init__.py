"""Deployment: the HAProxy configuration (`deploy.proxy`), the local launcher (`deploy.local`:
migrations once, N `streamlit run` replicas and HAProxy on 127.0.0.1) and, beside them, the
systemd units and the proxy configuration for a commune's machines (see deploy/README.md)."""

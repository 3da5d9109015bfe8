"""Bulk imports (批量导入) and their templates: ``files`` (XLSX/CSV in, templates out), ``kinds`` (what each kind
of file records, through which capability's schema and use case), ``service`` (one import = one command),
``routes`` (HTTP), ``cli`` (``anju import``)."""

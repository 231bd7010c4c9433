#!/usr/bin/env bash
# Starts a one-node Ceph cluster (monitor, memstore OSD, radosgw) bound to 127.0.0.1 for the
# S3 tests; test/servers/ceph.ts runs it and stops it with ceph-down.sh by the pids recorded
# under $RUN. Needs the Debian packages ceph-mon ceph-osd radosgw ceph-common (.ci/run installs
# them). Credentials: $AK / $SK. Takes ~12 s; the first bucket and object calls ~2 s more.
set -euo pipefail
PREFIX=${PREFIX:-}                      # empty when the debs are installed with apt
RUN=${RUN:-/tmp/ceph-emu}; RGW_PORT=${RGW_PORT:-7480}; MON_PORT=${MON_PORT:-6789}
AK=${AK:-emuaccess} SK=${SK:-emusecretemusecret}
if [ -n "$PREFIX" ]; then
  export LD_LIBRARY_PATH=$PREFIX/usr/lib/x86_64-linux-gnu:$PREFIX/usr/lib/x86_64-linux-gnu/ceph:$PREFIX/lib/x86_64-linux-gnu
  export PYTHONPATH=$PREFIX/usr/lib/python3/dist-packages
fi
LIB=$PREFIX/usr/lib/x86_64-linux-gnu; B=$PREFIX/usr/bin
rm -rf "$RUN"; mkdir -p "$RUN"/{mon,osd/0,run,log,rgw}
FSID=$(cat /proc/sys/kernel/random/uuid); CONF=$RUN/ceph.conf
cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon_host = v1:127.0.0.1:$MON_PORT
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
keyring = $RUN/keyring
run_dir = $RUN/run
admin_socket = $RUN/run/\$name.asok
log_file = $RUN/log/\$name.log
plugin_dir = $LIB/ceph
erasure_code_dir = $LIB/ceph/erasure-code
osd_class_dir = $LIB/rados-classes
mon_data = $RUN/mon/\$id
osd_data = $RUN/osd/\$id
osd_objectstore = memstore
memstore_device_bytes = 4294967296
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
osd_max_object_name_len = 460
osd_max_object_namespace_len = 64
# Ceph 16's OSD may send its start-up CRUSH commands before its monitor client has the
# cluster's fsid; the monitor refuses them ('wrong fsid') and the OSD exits (seen in CI, and in
# 2 of 6 cold starts here). The script puts the OSD in the CRUSH map itself instead.
osd_crush_update_on_start = false
osd_class_update_on_start = false
[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw_data = $RUN/rgw
rgw_enable_usage_log = false
EOF
$B/ceph-authtool --create-keyring "$RUN/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
$B/ceph-authtool "$RUN/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
$B/monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$RUN/monmap" >/dev/null
$B/ceph-mon -c "$CONF" --mkfs -i a --monmap "$RUN/monmap" --keyring "$RUN/keyring"
$B/ceph-mon -c "$CONF" -i a -f >"$RUN/log/mon.out" 2>&1 & echo $! > "$RUN/mon.pid"
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(/usr/bin/python3 $B/ceph -c "$CONF" osd new "$OSD_UUID")
/usr/bin/python3 $B/ceph -c "$CONF" osd crush add "osd.$OSD_ID" 1.0 root=default >/dev/null 2>&1
$B/ceph-osd -c "$CONF" -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >/dev/null 2>&1
$B/ceph-osd -c "$CONF" -i "$OSD_ID" -f >"$RUN/log/osd.out" 2>&1 & echo $! > "$RUN/osd.pid"
$B/radosgw -c "$CONF" -n client.rgw.a -f >"$RUN/log/rgw.out" 2>&1 & echo $! > "$RUN/rgw.pid"
# An OSD that exited never serves rgw's pools: fail at once so the caller can start afresh.
osd_failed() { ! kill -0 "$(cat "$RUN/osd.pid")" 2>/dev/null; }
for i in $(seq 1 600); do
  (exec 3<>/dev/tcp/127.0.0.1/$RGW_PORT) 2>/dev/null && break
  if osd_failed; then echo "ceph-osd failed to join the cluster; see $RUN/log/osd.out" >&2; exit 1; fi
  sleep 0.1
done
# Under CPU contention (parallel test files on 2 cores) radosgw-admin has been seen to hang
# while rgw still creates its pools: bound each try and retry.
ok=
for try in 1 2 3 4; do
  if osd_failed; then echo "ceph-osd failed to join the cluster; see $RUN/log/osd.out" >&2; exit 1; fi
  if timeout 30 $B/radosgw-admin -c "$CONF" user create --uid=emu --display-name=emu --access-key="$AK" --secret="$SK" >/dev/null 2>"$RUN/log/admin.err" \
     || timeout 30 $B/radosgw-admin -c "$CONF" user info --uid=emu >/dev/null 2>>"$RUN/log/admin.err"; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || { echo "radosgw-admin could not create the user; see $RUN/log" >&2; exit 1; }
echo "rgw up on http://127.0.0.1:$RGW_PORT (pids mon $(cat $RUN/mon.pid) osd $(cat $RUN/osd.pid) rgw $(cat $RUN/rgw.pid))"

{
  # One addon, linked against the system libdeflate (Debian/Ubuntu: libdeflate-dev).
  'targets': [
    {
      'target_name': 'genolake_libdeflate',
      'sources': ['src/binding.c'],
      'defines': ['NAPI_VERSION=8'],
      'cflags': ['-O2', '-fvisibility=hidden', '-Wall', '-Wextra', '-Wno-unused-parameter'],
      'libraries': ['-ldeflate', '-lpthread'],
      'ldflags': ['-Wl,-z,noexecstack', '-Wl,-z,relro', '-Wl,-z,now', '-Wl,--as-needed'],
      'conditions': [
        ['OS=="mac"', {
          'include_dirs': ['/opt/homebrew/include', '/usr/local/include'],
          'libraries': ['-L/opt/homebrew/lib', '-L/usr/local/lib'],
          'ldflags!': ['-Wl,-z,noexecstack', '-Wl,-z,relro', '-Wl,-z,now', '-Wl,--as-needed'],
        }],
      ],
    },
  ],
}

# bash completion for the xnet launcher. Source it, or copy it to
# /etc/bash_completion.d/xnet.
_xnet_labs() {
  # Labs that have state, and labs that exist in the kernel.
  { ls "${XNET_HOME:-/var/lib/xnet}/targets" 2>/dev/null
    ls /run/netns 2>/dev/null | sed -n 's/^xnet\.\([^.]*\)\..*/\1/p'
  } | grep -v '^host$' | sort -u
}

_xnet() {
  local cur prev
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -f|--file)
      COMPREPLY=( $(compgen -f -X '!*.xnet' -- "$cur") $(compgen -d -- "$cur") )
      [ "$cur" = "" ] && COMPREPLY+=( - )
      return ;;
    --lab)
      COMPREPLY=( $(compgen -W "$(_xnet_labs)" -- "$cur") )
      return ;;
    --underlay)
      COMPREPLY=( $(compgen -W "$(ls /run/netns 2>/dev/null | sed -n 's/^xnet-u\.//p')" -- "$cur") )
      return ;;
    -c|--command|--uplink)
      return ;;
    daemon)
      COMPREPLY=( $(compgen -W "status stop run install" -- "$cur") )
      return ;;
  esac
  COMPREPLY=( $(compgen -W "-f --file -c --command --lab --uplink --underlay --host --no-daemon --strict --force daemon --test --help --version" -- "$cur") )
}
complete -o filenames -F _xnet xnet ./xnet
